-- db-scheduler's table for the order saga's deadlines (Axon's DbSchedulerDeadlineManager): one row per scheduled
-- deadline, picked by one process at a time. Its own table: a scheduler sharing one with another service would
-- take that service's tasks and drop them.
CREATE TABLE order_scheduled_tasks (
    task_name            text                     NOT NULL,
    task_instance        text                     NOT NULL,
    task_data            bytea,
    execution_time       timestamp with time zone NOT NULL,
    picked               boolean                  NOT NULL,
    picked_by            text,
    last_success         timestamp with time zone,
    last_failure         timestamp with time zone,
    consecutive_failures integer,
    last_heartbeat       timestamp with time zone,
    version              bigint                   NOT NULL,
    priority             smallint,
    CONSTRAINT order_scheduled_tasks_pkey PRIMARY KEY (task_name, task_instance)
);
CREATE INDEX order_scheduled_tasks_execution_time_idx ON order_scheduled_tasks (execution_time);
CREATE INDEX order_scheduled_tasks_last_heartbeat_idx ON order_scheduled_tasks (last_heartbeat);
CREATE INDEX order_scheduled_tasks_priority_idx ON order_scheduled_tasks (priority DESC, execution_time ASC);

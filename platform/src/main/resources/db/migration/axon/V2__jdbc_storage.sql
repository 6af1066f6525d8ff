-- Axon's event store, tokens and sagas are written with plain JDBC (AxonJdbcStorageAutoConfiguration): the database
-- numbers new events and saga associations itself, from the same sequences Axon's JPA mapping used (one id at a
-- time for events).
ALTER TABLE domain_event_entry ALTER COLUMN global_index SET DEFAULT nextval('domain_event_entry_seq');
ALTER TABLE association_value_entry ALTER COLUMN id SET DEFAULT nextval('association_value_entry_seq');

CREATE TABLE a_service_table (id BIGINT PRIMARY KEY);

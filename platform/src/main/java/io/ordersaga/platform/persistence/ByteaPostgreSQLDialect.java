package io.ordersaga.platform.persistence;

import org.hibernate.boot.model.TypeContributions;
import org.hibernate.dialect.PostgreSQLDialect;
import org.hibernate.service.ServiceRegistry;
import org.hibernate.type.SqlTypes;
import org.hibernate.type.descriptor.jdbc.BinaryJdbcType;

import java.sql.Types;

/**
 * PostgreSQL as Hibernate 6 knows it, except that {@code @Lob byte[]} is {@code bytea}.
 *
 * <p>Axon's entities (events, snapshots, sagas, tokens, dead letters) store their payloads as {@code @Lob byte[]}.
 * Hibernate maps those to {@code oid} on PostgreSQL: large objects that live outside the table, are never
 * removed with their row and leak. Here they are plain {@code bytea} columns, read and written as bytes.
 */
public class ByteaPostgreSQLDialect extends PostgreSQLDialect {

    @Override
    protected String columnType(int sqlTypeCode) {
        return sqlTypeCode == SqlTypes.BLOB ? "bytea" : super.columnType(sqlTypeCode);
    }

    @Override
    protected String castType(int sqlTypeCode) {
        return sqlTypeCode == SqlTypes.BLOB ? "bytea" : super.castType(sqlTypeCode);
    }

    @Override
    public void contributeTypes(TypeContributions typeContributions, ServiceRegistry serviceRegistry) {
        super.contributeTypes(typeContributions, serviceRegistry);
        typeContributions.getTypeConfiguration().getJdbcTypeRegistry()
                .addDescriptor(Types.BLOB, BinaryJdbcType.INSTANCE);
    }
}

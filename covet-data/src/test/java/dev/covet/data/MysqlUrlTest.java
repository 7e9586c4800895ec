package dev.covet.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import org.junit.jupiter.api.Test;

/**
 * What the {@link Vendor#MYSQL} runs of the shared suite really exercise: a {@code mysql://} URL opens
 * MySQL Connector/J and selects {@link Dialect#MYSQL}, and the server behind it on this machine is
 * MariaDB (there is no MySQL server here). If either changes, the documented claim in docs/data.md
 * must change with it.
 */
class MysqlUrlTest {

    @Test
    void aMysqlUrlUsesMySqlConnectorJAndTheMySqlDialectAgainstThisMachinesMariaDb() throws Exception {
        try (TestDatabase t = TestDatabase.create(Vendor.MYSQL); Connection c = t.db.dataSource().getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            assertThat(t.db.dialect()).isEqualTo(Dialect.MYSQL);
            assertThat(meta.getDriverName()).isEqualTo("MySQL Connector/J");
            assertThat(meta.getDatabaseProductVersion()).contains("MariaDB");
        }
    }
}

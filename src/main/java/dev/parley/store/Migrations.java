package dev.parley.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.MigrationVersion;

/**
 * Brings a database's schema to this jar's version with Flyway, from one history on the
 * classpath: {@code db/migration/common} (SQL that both SQLite and PostgreSQL run) plus
 * {@code db/migration/<vendor>} (a migration whose SQL must differ, under the same version
 * number for each database).
 *
 * <p>An older database is migrated forward. A database that a newer Parley already migrated
 * further is refused: Flyway by default only warns about such "future" migrations, and an
 * older jar writing into a newer schema could break it, so we check before migrating.
 */
final class Migrations {
  private Migrations() {}

  /**
   * @param where what the database is, for messages ("the database at data/parley.db")
   * @param elsewhere the flag that points Parley at another database ("--data")
   * @param vendor Flyway's folder name for dialect-specific migrations ("sqlite", "postgresql")
   */
  static void migrate(DataSource dataSource, String where, String elsewhere, String vendor) {
    Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
        .dataSource(dataSource)
        .locations("classpath:db/migration/common", "classpath:db/migration/" + vendor)
        .load();
    try {
      refuseNewer(flyway.info(), where, elsewhere);
      flyway.migrate();
    } catch (FlywayException e) {
      throw new StoreStartupException(where + " could not be brought to this Parley's schema: " + e.getMessage()
          + ". Restore it from a backup or point " + elsewhere + " elsewhere, then start again.", e);
    }
  }

  private static void refuseNewer(MigrationInfoService info, String where, String elsewhere) {
    MigrationVersion known = MigrationVersion.EMPTY;
    for (MigrationInfo m : info.all()) {
      if (m.getState().isResolved() && m.getVersion() != null && m.getVersion().compareTo(known) > 0) {
        known = m.getVersion();
      }
    }
    MigrationInfo current = info.current();
    if (current != null && current.getVersion() != null && current.getVersion().compareTo(known) > 0) {
      throw new StoreStartupException(where + " was written by a newer Parley (schema version "
          + current.getVersion() + "); this jar knows up to " + known
          + ". Upgrade Parley or point " + elsewhere + " elsewhere.", null);
    }
  }
}

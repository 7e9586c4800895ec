package dev.covet.data;

/** The three databases every test runs on (the real servers of the machine; SQLite a temp file). */
enum Vendor { SQLITE, POSTGRESQL, MARIADB }

/** Durable state in an embedded SQLite database: users, admin blocks, reports, overrides, supervision, events, audit. */
package org.schoolgate.store;

/** Durable state behind one interface ({@link org.schoolgate.store.Store}): users, admin blocks, reports, overrides, supervision, events, audit; kept in SQLite (one school) or PostgreSQL (a trust). */
package org.schoolgate.store;

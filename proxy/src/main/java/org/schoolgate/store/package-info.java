/** Durable state behind one interface ({@link org.schoolgate.store.Store}): users, admin blocks, reports, overrides, supervision, events, audit; kept in SQLite. */
package org.schoolgate.store;

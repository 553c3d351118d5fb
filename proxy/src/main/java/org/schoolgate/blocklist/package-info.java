/** Category lists on disk: parsing every accepted line format, loading, and reloading on change. */
package org.schoolgate.blocklist;

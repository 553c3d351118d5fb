/** The admin endpoint: authenticated JSON API for the headteacher and network manager, and its business rules. */
package org.schoolgate.admin;

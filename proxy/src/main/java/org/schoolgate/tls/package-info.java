/** The intercepted-TLS listener: peek at the ClientHello (never decrypt), decide on its server name, then relay or close. */
package org.schoolgate.tls;

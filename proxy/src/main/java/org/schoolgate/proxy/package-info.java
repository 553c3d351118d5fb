/** The proxy listeners: explicit HTTP/CONNECT, intercepted HTTP and TLS, and the relays behind them. */
package org.schoolgate.proxy;

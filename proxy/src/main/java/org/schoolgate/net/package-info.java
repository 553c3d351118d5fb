/** Sockets and names: the event-loop transport, asynchronous DNS, upstream connections, loop protection. */
package org.schoolgate.net;

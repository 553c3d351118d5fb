/** The policy: pure decisions from client, host, port and time. No sockets, no Netty, no I/O. */
package org.schoolgate.policy;

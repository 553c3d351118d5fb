/** Safeguarding alerts: raised in the transaction of what caused them (an outbox), delivered by email and webhook off the event loops. */
package org.schoolgate.alert;

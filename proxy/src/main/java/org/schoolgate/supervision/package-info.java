/**
 * Attempts to get round the filter, the devices under supervision (SPEC section 10), the alerts a
 * pupil's block raises, and keeping a trust's gateways in step ({@link org.schoolgate.supervision.ChangeFollower}).
 */
package org.schoolgate.supervision;

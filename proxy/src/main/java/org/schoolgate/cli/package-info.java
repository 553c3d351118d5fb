/** The command line's account tool ({@code schoolgate user ...}): adds users and sets passwords in the store. */
package org.schoolgate.cli;

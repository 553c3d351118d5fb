/** The configuration file, parsed once into immutable, validated values. */
package org.schoolgate.config;

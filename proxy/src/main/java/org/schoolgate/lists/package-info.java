/** Category lists by subscription (SPEC section 13): fetching, refusing, keeping and merging publishers' lists. */
package org.schoolgate.lists;

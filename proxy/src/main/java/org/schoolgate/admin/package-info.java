/**
 * What every part of the admin side speaks: the refusal with its status and a sentence a
 * headteacher understands ({@link org.schoolgate.admin.ApiError}) and the bounds on what a person
 * may send ({@link org.schoolgate.admin.Bounds}). The features ({@code rules}, {@code supervision},
 * {@code safeguarding}) throw them; the web layer ({@code web}) turns them into answers.
 */
package org.schoolgate.admin;

package dev.covet.data;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/** The column a record component maps to, when its snake_case name is not it; {@code length} sizes a generated VARCHAR (default 255). */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Column {
    /** The column name; default: the component name in snake_case. */
    String value() default "";

    /** The length of a generated VARCHAR column. */
    int length() default 255;

    /** Whether generated DDL allows NULL (primitive components are NOT NULL regardless). */
    boolean nullable() default true;
}

package dev.covet.data;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A foreign key: the component has type {@code Ref<Target>} and maps to the column
 * {@code <name>_id} (or {@link Column}). The referenced row is loaded only by an explicit
 * {@link Query#prefetch}; {@link Ref#get()} on a reference that was not prefetched throws.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ManyToOne { }

package dev.covet.data;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * A relation through a join table: the component has type {@code Many<Other>} and is not a column.
 * {@code joinTable} has a column {@code joinColumn} holding this entity's id and {@code inverseColumn}
 * holding the other's.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface ManyToMany {
    String joinTable();
    String joinColumn();
    String inverseColumn();
}

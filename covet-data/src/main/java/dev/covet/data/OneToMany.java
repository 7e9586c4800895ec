package dev.covet.data;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The other side of a {@link ManyToOne}: the component has type {@code Many<Child>}, is not a column,
 * and {@code mappedBy} names the child's {@code Ref} component that points back here.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface OneToMany {
    String mappedBy();
}

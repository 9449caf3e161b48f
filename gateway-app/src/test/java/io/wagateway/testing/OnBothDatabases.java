package io.wagateway.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A test run once on embedded H2 and once on a fresh MariaDB database ({@link TestDatabases#both}):
 * it takes a {@code Supplier<TestDatabases.Target>}, and opens the target it gets.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@ParameterizedTest(name = "[{0}]")
@MethodSource("io.wagateway.testing.TestDatabases#both")
public @interface OnBothDatabases {
}

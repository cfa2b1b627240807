package io.carbonstream.testing;

import io.restassured.RestAssured;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.time.Duration;

/**
 * Every RestAssured request of the annotated test class sends an admin's token ({@link TestTokens#admin()}) unless
 * it sets its own, so that a test about a resource does not repeat authentication; what the services refuse without
 * one is tested in trainer-service's {@code SecurityTest} and e2e-tests' {@code SecurityIT}. With
 * {@link #awaitReady()}, each test first waits until the service under test answers its readiness probe (a stream
 * service is not ready until its Kafka Streams threads run). Put it after {@code @QuarkusTest}, whose extension sets
 * RestAssured's port first.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@ExtendWith(AsAdmin.Extension.class)
public @interface AsAdmin {

    /** How long {@link #awaitReady()} waits for {@code /q/health/ready} before the test fails. */
    Duration READY_WITHIN = Duration.ofSeconds(60);

    /** Whether each test waits for the service's readiness probe first. */
    boolean awaitReady() default false;

    /** The extension behind {@link AsAdmin}. */
    final class Extension implements BeforeAllCallback, BeforeEachCallback {

        @Override
        public void beforeAll(ExtensionContext context) {
            RestAssured.authentication = RestAssured.oauth2(TestTokens.admin());
        }

        @Override
        public void beforeEach(ExtensionContext context) {
            boolean await = AnnotationSupport.findAnnotation(context.getRequiredTestClass(), AsAdmin.class)
                    .map(AsAdmin::awaitReady).orElse(false);
            if (await) {
                Readiness.await(RestAssured.baseURI + ":" + RestAssured.port, READY_WITHIN);
            }
        }
    }
}

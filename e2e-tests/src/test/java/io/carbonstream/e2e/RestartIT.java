package io.carbonstream.e2e;

import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A stream service whose Kafka Streams client fails in a way only a new process cures comes back by itself. Its
 * global store's checkpoint is moved past the end of its topics (as after a topic was recreated or truncated
 * while the instance was down): the global thread wipes the store and dies, the client goes to ERROR, the process
 * exits with 75 and the launcher starts it again, as Kubernetes would; the new process restores the store from the
 * beginning. {@code start carbon} returns with the instance ready, and what the store held is there.
 */
@Order(10)
class RestartIT {

    @Test
    void aGlobalCheckpointBeyondItsTopicCostsOneNewProcessNotTheInstance() throws Exception {
        LocalStack stack = LocalStack.shared();
        String tenant = "restart-" + Long.toString(System.nanoTime(), 36);
        given().baseUri(stack.carbon()).contentType("application/json").body("{\"monthlyGCo2e\":1234.5}")
                .put("/budgets/tenants/" + tenant).then().statusCode(200);
        long until = System.currentTimeMillis() + 30_000;
        while (given().baseUri(stack.carbon()).get("/budgets/tenants/" + tenant).statusCode() != 200) {
            assertTrue(System.currentTimeMillis() < until, "the budget never became readable");
            Await.sleep(200);
        }

        stack.stop("carbon");
        Path checkpoint = stack.home.resolve("data/streams-carbon/carbonstream-carbon/global/.checkpoint");
        List<String> lines = Files.readAllLines(checkpoint);
        List<String> moved = new ArrayList<>(lines.subList(0, 2));
        int budgets = 0;
        for (String line : lines.subList(2, lines.size())) {
            String[] f = line.split(" ");
            budgets += f[0].equals("carbon.budgets") ? 1 : 0;
            moved.add(f[0] + " " + f[1] + " " + (Long.parseLong(f[2]) + 1000));
        }
        assertEquals(3, budgets, "the global checkpoint lists the three partitions of carbon.budgets: " + lines);
        Files.write(checkpoint, moved);

        String out = stack.start("carbon");
        assertTrue(out.contains("carbon     ready"), out);
        String log = Files.readString(stack.home.resolve("logs/carbon.log"));
        assertTrue(log.contains("OffsetOutOfRangeException"), "the first process found its checkpoint out of range");
        assertTrue(log.contains("exiting with 75"), "the failed process asked for a new one");
        assertTrue(log.contains("carbon exited asking for a new process (exit 75): starting it again (1 of 5"),
                "the launcher started it again once");
        assertNotEquals(-1, stack.rssKiB("carbon"));

        given().baseUri(stack.carbon()).get("/budgets/tenants/" + tenant).then().statusCode(200)
                .body("tenant", equalTo(tenant)).body("monthlyGCo2e", equalTo(1234.5f));
        FuzzIT.assertHealthy();
    }
}

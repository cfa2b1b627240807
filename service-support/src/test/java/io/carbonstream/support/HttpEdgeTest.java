package io.carbonstream.support;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class HttpEdgeTest {

    @Test
    void pathsWithControlCharactersOrBrokenEncodingCannotBeRead() {
        assertNull(HttpEdge.unreadableUri("/footprints/job-1?format=csv"));
        assertNull(HttpEdge.unreadableUri("/intensity/DE?at=2026-01-01T00:00:00%2B01:00"));
        assertEquals("the path or query contains a control character (code 0)", HttpEdge.unreadableUri("/footprints/%00"));
        assertEquals("the path or query contains a control character (code 10)", HttpEdge.unreadableUri("/jobs?tenant=a%0Ab"));
        assertEquals("the path or query has a broken percent-encoding", HttpEdge.unreadableUri("/jobs/a%zzb"));
    }
}

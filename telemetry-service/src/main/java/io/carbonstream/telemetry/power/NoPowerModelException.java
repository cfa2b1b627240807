package io.carbonstream.telemetry.power;

/**
 * A profile is asked for power it does not have: the device is in the catalog, but nobody publishes its power and
 * nobody has given or measured it yet. The energy that needed it cannot be computed, and must not be zero.
 */
public class NoPowerModelException extends RuntimeException {

    private final String profileId;

    public NoPowerModelException(String profileId) {
        super("hardware profile '" + profileId + "' has no power model (no published power figure); give it idle and max"
                + " watts with their source (PUT /hardware/" + profileId + ") or calibrate it from measurements (POST /hardware/"
                + profileId + "/calibration); batches refused meanwhile go again with POST /dead-letters/redrive");
        this.profileId = profileId;
    }

    public String profileId() {
        return profileId;
    }
}

package io.wagateway.config;

/** A wrong setting: start-up stops with one line naming the key and why. */
public final class ConfigException extends RuntimeException {

    private final String key;

    public ConfigException(String key, String why) {
        super(key + ": " + why, null, false, false);
        this.key = key;
    }

    public String key() {
        return key;
    }
}

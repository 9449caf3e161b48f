package io.wagateway.api;

/**
 * Facts about this plugin API that plugins can check against.
 */
public final class GatewayApi {

    /**
     * The version of this API, in semantic-versioning form. The host refuses a plugin whose
     * {@code Plugin-Requires} manifest entry does not accept it. Minor versions only add;
     * a major version changes or removes something.
     */
    public static final String VERSION = "1.0.0";

    private GatewayApi() {
    }
}

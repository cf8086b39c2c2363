package shop.ads;

import dev.openfeature.sdk.Client;
import dev.openfeature.sdk.OpenFeatureAPI;

public class Ads {
    private static final String AD_FAILURE = "adFailure";
    private final Client client = OpenFeatureAPI.getInstance().getClient();

    boolean failing(String name) {
        if (client.getBooleanValue(AD_FAILURE, false)) { // flag: adFailure
            return true;
        }
        int n = client.getIntegerDetails("adCount", 3).getValue(); // flag: adCount
        return client.getBooleanValue(name, false); // the key is the parameter: a wrapper
    }

    boolean check() {
        return failing("adsViaWrapper"); // flag: adsViaWrapper
    }

    String other(java.util.Map<String, String> m) {
        return m.get("notAFlag");
    }
}

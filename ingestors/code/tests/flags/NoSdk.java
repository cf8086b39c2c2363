package shop.plain;

// No flag SDK here: a method that happens to share a name is not an evaluation.
public class NoSdk {
    boolean isEnabled(String name) {
        return settings.getBooleanValue("featureX", false);
    }
}

using OpenFeature;

namespace Shop.Cart;

public class CartService
{
    private readonly FeatureClient _client;

    public async Task<bool> Empty(string userId, string key)
    {
        var rate = await _client.GetDoubleValueAsync("cartFailure", 0); // flag: cartFailure
        bool probe = await _client.GetBooleanValueAsync("failedReadinessProbe", false); // flag: failedReadinessProbe
        var dyn = await _client.GetBooleanValueAsync(key, false); // dynamic
        return rate > 0 && probe && dyn;
    }
}

from openfeature import api


def check_feature_flag(flag_name: str):
    client = api.get_client()
    return client.get_boolean_value(flag_name, False)


def list_products():
    if check_feature_flag("recommendationCacheFailure"):  # flag: recommendationCacheFailure
        return []
    client = api.get_client()
    limit = client.get_integer_value("maxRecommendations", 5)  # flag: maxRecommendations
    name = "dyn" + str(limit)
    client.get_string_value(name, "x")  # dynamic
    return [limit]


def unrelated(cache):
    return cache.check_feature_flag("notAFlagButACacheKey")

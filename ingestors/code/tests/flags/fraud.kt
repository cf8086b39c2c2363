package shop.fraud

import dev.openfeature.sdk.OpenFeatureAPI

fun consume() {
    if (flagValue("kafkaQueueProblems") > 0) { // flag: kafkaQueueProblems
        println("slow")
    }
}

fun flagValue(ff: String): Int {
    val client = OpenFeatureAPI.getInstance().client
    return client.getIntegerValue(ff, 0)
}

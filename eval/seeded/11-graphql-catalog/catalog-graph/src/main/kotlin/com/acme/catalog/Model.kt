package com.acme.catalog

data class Money(val amount: String, val currencyCode: String)

data class Image(val url: String, val altText: String?, val width: Int?, val height: Int?)

data class Category(val id: String, val slug: String, val name: String, val parentId: String?)

data class Product(
    val id: String,
    val sku: String,
    val title: String,
    val description: String?,
    val price: Money,
    val images: List<Image>,
    val categoryId: String?,
    val stockOnHand: Int,
) {
    val inStock: Boolean get() = stockOnHand > 0
}

data class ProductEdge(val cursor: String, val node: Product)

data class PageInfo(val hasNextPage: Boolean, val endCursor: String?)

data class ProductConnection(val edges: List<ProductEdge>, val pageInfo: PageInfo)

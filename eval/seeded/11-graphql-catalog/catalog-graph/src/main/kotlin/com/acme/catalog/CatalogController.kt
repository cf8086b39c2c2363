package com.acme.catalog

import java.util.Base64
import java.util.concurrent.ConcurrentHashMap
import org.springframework.graphql.data.method.annotation.Argument
import org.springframework.graphql.data.method.annotation.MutationMapping
import org.springframework.graphql.data.method.annotation.QueryMapping
import org.springframework.graphql.data.method.annotation.SchemaMapping
import org.springframework.stereotype.Controller

@Controller
class CatalogController {

    private val products = ConcurrentHashMap<String, Product>()
    private val categories = ConcurrentHashMap<String, Category>()

    @QueryMapping
    fun product(@Argument id: String): Product? = products[id]

    @QueryMapping
    fun products(@Argument first: Int, @Argument after: String?, @Argument categorySlug: String?): ProductConnection {
        val categoryId = categorySlug?.let { slug -> categories.values.firstOrNull { it.slug == slug }?.id }
        val sorted = products.values
            .filter { categorySlug == null || it.categoryId == categoryId }
            .sortedBy { it.sku }
        val start = after?.let { cursor -> sorted.indexOfFirst { encode(it.sku) == cursor } + 1 } ?: 0
        val page = sorted.drop(start).take(first)
        return ProductConnection(
            edges = page.map { ProductEdge(encode(it.sku), it) },
            pageInfo = PageInfo(hasNextPage = start + page.size < sorted.size, endCursor = page.lastOrNull()?.let { encode(it.sku) }),
        )
    }

    @QueryMapping
    fun category(@Argument slug: String): Category? = categories.values.firstOrNull { it.slug == slug }

    @SchemaMapping(typeName = "Product", field = "category")
    fun productCategory(product: Product): Category? = product.categoryId?.let { categories[it] }

    @SchemaMapping(typeName = "Category", field = "parent")
    fun parent(category: Category): Category? = category.parentId?.let { categories[it] }

    @MutationMapping
    fun updatePrice(@Argument productId: String, @Argument price: Money): Product {
        val updated = products.computeIfPresent(productId) { _, p -> p.copy(price = price) }
        return requireNotNull(updated) { "unknown product $productId" }
    }

    private fun encode(sku: String): String = Base64.getUrlEncoder().withoutPadding().encodeToString(sku.toByteArray())
}

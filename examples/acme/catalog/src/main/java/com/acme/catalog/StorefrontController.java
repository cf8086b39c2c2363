package com.acme.catalog;

import java.util.List;

import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.stereotype.Controller;

/** Resolvers for the storefront GraphQL schema (resources/graphql/schema.graphqls). */
@Controller
public class StorefrontController {

    private final ProductRepository repository;

    public StorefrontController(ProductRepository repository) {
        this.repository = repository;
    }

    @QueryMapping
    public Product product(@Argument String id) {
        return repository.findById(id).orElse(null);
    }

    @QueryMapping
    public List<Product> products() {
        return repository.findAll();
    }
}

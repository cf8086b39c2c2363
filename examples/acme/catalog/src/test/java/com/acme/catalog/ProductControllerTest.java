package com.acme.catalog;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.web.servlet.WebMvcTest;
import org.springframework.context.annotation.Import;
import org.springframework.test.web.servlet.MockMvc;

@WebMvcTest(ProductController.class)
@Import(ProductRepository.class)
class ProductControllerTest {

    @Autowired
    private MockMvc mvc;

    @Test
    void returnsProductWithSnakeCaseJson() throws Exception {
        mvc.perform(get("/products/MUG-01"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.product_id").value("MUG-01"))
                .andExpect(jsonPath("$.price_cents").value(1250));
    }

    @Test
    void unknownProductIs404() throws Exception {
        mvc.perform(get("/products/NOPE"))
                .andExpect(status().isNotFound());
    }

    @Test
    void listsAllProducts() throws Exception {
        mvc.perform(get("/products"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(2));
    }
}

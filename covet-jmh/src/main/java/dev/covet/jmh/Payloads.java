package dev.covet.jmh;

import java.time.Instant;
import java.util.List;

/** The JSON payloads the benchmarks encode and decode: an e-commerce order and TechEmpower's message. */
public final class Payloads {

    private Payloads() { }

    /** TechEmpower's JSON test body: {@code {"message":"Hello, World!"}}. */
    public record Message(String message) { }

    public enum OrderStatus { PENDING, PAID, SHIPPED, DELIVERED, CANCELLED }

    public record Address(String name, String street, String city, String postalCode, String region,
                          String country) { }

    public record LineItem(String sku, String name, int quantity, long unitPriceCents, long totalCents) { }

    /** 17 fields: strings, longs, a double, a boolean, an enum, an Instant, a nested record, 5 line items. */
    public record Order(String id, long number, OrderStatus status, String customerId, String customerName,
                        String email, String currency, long subtotalCents, long shippingCents, long taxCents,
                        long totalCents, double discountRate, boolean giftWrap, Instant createdAt,
                        Address shippingAddress, List<LineItem> lines, String note) { }

    static final Message HELLO = new Message("Hello, World!");

    /** An order as a shop API would return it: about 1 KB of JSON. */
    static Order order() {
        List<LineItem> lines = List.of(
                new LineItem("SKU-10482", "Stainless steel water bottle, 750 ml", 2, 1_899, 3_798),
                new LineItem("SKU-20931", "Merino wool socks (3 pairs)", 1, 2_450, 2_450),
                new LineItem("SKU-31177", "Trail running shoes, size 42", 1, 12_900, 12_900),
                new LineItem("SKU-40026", "Headlamp, 400 lumen, USB-C", 1, 3_499, 3_499),
                new LineItem("SKU-55310", "Energy gel, salted caramel", 12, 250, 3_000));
        long subtotal = lines.stream().mapToLong(LineItem::totalCents).sum();
        return new Order("8f14e45f-ceea-467f-a0e6-1f2b3c4d5e6f", 1_000_482L, OrderStatus.PAID,
                "cus_7Hq2kL9xPzR4", "Ada Lovelace", "ada.lovelace@example.com", "EUR",
                subtotal, 495, 4_976, subtotal + 495 + 4_976, 0.05, true,
                Instant.parse("2025-11-29T14:03:27.512Z"),
                new Address("Ada Lovelace", "12 St James's Square", "London", "SW1Y 4JH", "Greater London", "GB"),
                lines, "Leave at the front desk if nobody answers.");
    }
}

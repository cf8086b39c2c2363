package com.acme.shipping;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.acme.shipping.v1.Carrier;
import com.acme.shipping.v1.GetCarrierRequest;
import com.acme.shipping.v1.Parcel;
import com.acme.shipping.v1.QuoteRatesRequest;
import com.acme.shipping.v1.QuoteRatesResponse;
import com.acme.shipping.v1.RateQuote;
import com.acme.shipping.v1.RatesServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

public final class RatesServiceImpl extends RatesServiceGrpc.RatesServiceImplBase {

    private record Tariff(String carrier, String level, long baseMinor, long perKgMinor, int days, boolean international) {}

    private static final List<Tariff> TARIFFS = List.of(
            new Tariff("dhl", "standard", 499, 120, 3, false),
            new Tariff("dhl", "express", 1299, 250, 1, false),
            new Tariff("ups", "standard", 2499, 400, 5, true),
            new Tariff("ups", "express", 4999, 700, 2, true));

    private static final Map<String, Carrier> CARRIERS = Map.of(
            "dhl", Carrier.newBuilder().setCarrierCode("dhl").setDisplayName("DHL Paket")
                    .setTrackingUrlTemplate("https://www.dhl.de/de/privatkunden/dhl-sendungsverfolgung.html?piececode={id}").build(),
            "ups", Carrier.newBuilder().setCarrierCode("ups").setDisplayName("UPS")
                    .setTrackingUrlTemplate("https://www.ups.com/track?tracknum={id}").build());

    @Override
    public void quoteRates(QuoteRatesRequest request, StreamObserver<QuoteRatesResponse> responseObserver) {
        if (request.getParcelsCount() == 0) {
            responseObserver.onError(Status.INVALID_ARGUMENT.withDescription("at least one parcel").asRuntimeException());
            return;
        }
        boolean international = !request.getOriginCountry().equals(request.getDestinationCountry());
        long grams = request.getParcelsList().stream().mapToLong(Parcel::getWeightGrams).sum();
        long kilos = Math.max(1, (grams + 999) / 1000);

        List<RateQuote> quotes = new ArrayList<>();
        for (Tariff t : TARIFFS) {
            if (t.international() != international) {
                continue;
            }
            quotes.add(RateQuote.newBuilder()
                    .setCarrierCode(t.carrier())
                    .setServiceLevel(t.level())
                    .setAmountMinor(t.baseMinor() + kilos * t.perKgMinor())
                    .setCurrencyCode("EUR")
                    .setEstimatedDays(t.days())
                    .build());
        }

        responseObserver.onNext(QuoteRatesResponse.newBuilder()
                .setQuoteId(UUID.randomUUID().toString())
                .addAllQuotes(quotes)
                .build());
        responseObserver.onCompleted();
    }

    @Override
    public void getCarrier(GetCarrierRequest request, StreamObserver<Carrier> responseObserver) {
        Carrier carrier = CARRIERS.get(request.getCarrierCode());
        if (carrier == null) {
            responseObserver.onError(Status.NOT_FOUND.withDescription("unknown carrier").asRuntimeException());
            return;
        }
        responseObserver.onNext(carrier);
        responseObserver.onCompleted();
    }
}

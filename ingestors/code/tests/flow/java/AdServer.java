package com.acme.ads;

import com.acme.ads.proto.AdServiceGrpc;
import com.acme.ads.proto.Ads.Ad;
import com.acme.ads.proto.Ads.AdRequest;
import com.acme.ads.proto.Ads.AdResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;

// A gRPC server: the request parameter is read, the reply is built.
public class AdServer extends AdServiceGrpc.AdServiceImplBase {
    @Override // expect: implements sym:@#AdServer.getAds -> grpc:AdService/GetAds
    public void getAds(AdRequest req, StreamObserver<AdResponse> out) {
        List<Ad> ads = new ArrayList<>();
        for (int i = 0; i < req.getContextKeysCount(); i++) { // expect: flow:T|java:com.acme.ads.proto.Ads|AdRequest ;; name=getContextKeysCount
            ads.add(make(req.getContextKeys(i))); // expect: name=getContextKeys
        }
        AdResponse reply = AdResponse.newBuilder().addAllAds(ads).build(); // expect: writes_field sym:@#AdServer.getAds -> flow:T|java:com.acme.ads.proto.Ads|AdResponse ;; name=addAllAds
        out.onNext(reply);
        out.onCompleted();
    }

    private Ad make(String key) { // expect-not: implements
        return Ad.newBuilder()
                .setRedirectUrl("/p/" + key) // expect: name=setRedirectUrl
                .setText(key) // expect: name=setText
                .build();
    }
}

import "reflect-metadata";
import { Module } from "@nestjs/common";
import { NestFactory } from "@nestjs/core";
import { TrackingController } from "./tracking/tracking.controller";
import { TrackingStore } from "./tracking/tracking.store";

@Module({ controllers: [TrackingController], providers: [TrackingStore] })
class AppModule {}

async function bootstrap() {
  const app = await NestFactory.create(AppModule);
  await app.listen(Number(process.env.PORT ?? 3000));
}
void bootstrap();

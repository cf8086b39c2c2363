import nodemailer from "nodemailer";

const transport = nodemailer.createTransport({
  host: process.env.SMTP_HOST ?? "smtp.internal",
  port: Number(process.env.SMTP_PORT ?? 25),
});

export async function sendMail(accountId: string, subject: string, lines: string[]): Promise<void> {
  await transport.sendMail({
    from: "no-reply@northbank.example",
    to: `${accountId}@accounts.northbank.example`,
    subject,
    text: lines.join("\n"),
  });
}

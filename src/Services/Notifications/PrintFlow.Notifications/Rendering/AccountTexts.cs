using PrintFlow.Notifications.Domain;

namespace PrintFlow.Notifications.Rendering;

/// <summary>The account emails' sentences in Russian and English; {0} in the lead is when the link stops working.</summary>
internal sealed record AccountTexts(string Subject, string Lead, string Button, string NotYou)
{
    public static AccountTexts Of(MessageKind kind, string language) => (kind, language == Languages.English) switch
    {
        (MessageKind.PasswordReset, true) => new(
            "Reset your PrintFlow password",
            "We received a request to reset the password of your PrintFlow account. The link below works once, until {0}.",
            "Choose a new password",
            "If you did not ask for this, ignore this email: your password stays as it is."),
        (MessageKind.PasswordReset, false) => new(
            "Сброс пароля PrintFlow",
            "Мы получили запрос на сброс пароля вашей учётной записи PrintFlow. Ссылка ниже работает один раз, до {0}.",
            "Задать новый пароль",
            "Если вы не запрашивали сброс, просто проигнорируйте это письмо: пароль останется прежним."),
        (_, true) => new(
            "Confirm your email address",
            "Thank you for creating a PrintFlow account. Please confirm this email address so that you can place orders. The link works until {0}.",
            "Confirm my email address",
            "If you did not create an account at PrintFlow, ignore this email."),
        (_, false) => new(
            "Подтвердите адрес электронной почты",
            "Спасибо за регистрацию в PrintFlow. Подтвердите этот адрес, чтобы оформлять заказы. Ссылка действует до {0}.",
            "Подтвердить адрес",
            "Если вы не регистрировались в PrintFlow, просто проигнорируйте это письмо."),
    };
}

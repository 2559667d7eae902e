using Microsoft.Extensions.Localization;

[assembly: ResourceLocation("Resources")]

namespace PrintFlow.Notifications;

/// <summary>Marker of Notifications' page and problem strings (Resources/NotificationsStrings.resx, English; .ru.resx, Russian).</summary>
public sealed class NotificationsStrings;

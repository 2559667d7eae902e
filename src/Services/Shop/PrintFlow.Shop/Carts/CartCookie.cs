using Microsoft.AspNetCore.Http;
using PrintFlow.Shop.Domain;

namespace PrintFlow.Shop.Carts;

/// <summary>The cookie that brings a buyer back to their quote from the same browser (the page address carries the token too).</summary>
internal static class CartCookie
{
    public const string Name = "printflow.cart";

    public static string? Read(HttpContext http) => http.Request.Cookies[Name] is { } token && Cart.LooksLikeToken(token) ? token : null;

    public static void Write(HttpContext http, string token, DateTimeOffset expires) =>
        http.Response.Cookies.Append(Name, token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Lax,
            Secure = http.Request.IsHttps,
            Expires = expires,
            Path = "/",
            IsEssential = true, // the quote itself, not tracking
        });

    public static void Clear(HttpContext http) => http.Response.Cookies.Delete(Name, new CookieOptions { Path = "/" });
}

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.OpenApi;
using PrintFlow.Partners.Auth;

namespace PrintFlow.Partners.Endpoints;

/// <summary>
/// The OpenAPI document of the partner API, served at <c>/api/partners/v1/openapi.json</c>. MapOpenApi needs a
/// <c>{documentName}</c> in its route, so this endpoint asks the document provider itself.
/// </summary>
internal static class PartnerOpenApi
{
    public const string DocumentName = "partners-v1";

    public static IServiceCollection AddPartnerOpenApi(this IServiceCollection services) =>
        services.AddOpenApi(DocumentName, options =>
        {
            // The host serves every service; this document describes the partner API only.
            options.ShouldInclude = description => description.GroupName == DocumentName;
            options.AddDocumentTransformer((document, _, _) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "PrintFlow Partner API",
                    Version = "v1",
                    Description = "Submit 3D-printing orders, follow their status, confirm quotes. "
                        + "Authenticate with the X-Api-Key header; errors are RFC 9457 problem details with a 'code'.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiKeyAuthenticationHandler.SchemeName] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.ApiKey,
                    In = ParameterLocation.Header,
                    Name = ApiKeyAuthenticationHandler.HeaderName,
                    Description = "Your partner API key.",
                };
                document.Security ??= [];
                document.Security.Add(new OpenApiSecurityRequirement
                {
                    [new OpenApiSecuritySchemeReference(ApiKeyAuthenticationHandler.SchemeName, document)] = [],
                });
                return Task.CompletedTask;
            });
        });

    /// <summary>
    /// Documents the multipart body and the Idempotency-Key header of POST /orders. (Accepts metadata would do the
    /// first, but it also makes routing answer other content types with a bare 415 before the endpoint can explain.)
    /// </summary>
    public static RouteHandlerBuilder DescribeOrderForm(this RouteHandlerBuilder endpoint) =>
        endpoint.AddOpenApiOperationTransformer(async (operation, context, cancellationToken) =>
        {
            var schema = await context.GetOrCreateSchemaAsync(typeof(CreateOrderForm), null, cancellationToken);
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Content = new Dictionary<string, OpenApiMediaType> { ["multipart/form-data"] = new() { Schema = schema } },
            };
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = CreateOrderEndpoint.IdempotencyHeader,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Any unique string; a retry with the same key returns the first answer and never creates a second order.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
            });
        });

    public static void MapPartnerOpenApi(this IEndpointRouteBuilder api) =>
        api.MapGet("/openapi.json", async (
                [Microsoft.Extensions.DependencyInjection.FromKeyedServices(DocumentName)] IOpenApiDocumentProvider provider,
                CancellationToken cancellationToken) =>
            {
                var document = await provider.GetOpenApiDocumentAsync(cancellationToken);
                var json = await document.SerializeAsJsonAsync(OpenApiSpecVersion.OpenApi3_1, cancellationToken);
                return TypedResults.Text(json, "application/json");
            })
            .ExcludeFromDescription()
            .AllowAnonymous();
}

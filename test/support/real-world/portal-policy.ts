/*
 * The API policy the Azure portal writes when it imports an Azure OpenAI resource as an API: `<base />` in every
 * section and a `set-backend-service` with the portal's own id attribute. `outbound` replaces its outbound section
 * (with the line break after it), so tests can start from a variant.
 */
export const portalPolicy = (outbound = '    <outbound>\n        <base />\n    </outbound>\n') =>
  `<policies>
    <inbound>
        <base />
        <set-backend-service id="apim-generated-policy" backend-id="mybackendpool" />
    </inbound>
    <backend>
        <base />
    </backend>
${outbound}    <on-error>
        <base />
    </on-error>
</policies>`;

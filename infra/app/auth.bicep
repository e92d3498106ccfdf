// App Service Authentication ("Easy Auth") with Microsoft Entra ID in front of the survey owner's console and the
// admin API: staff sign in with their work account, and the function key is still required on top (the console
// asks for it; the admin routes are AuthorizationLevel.Function). Every public route is excluded, so respondents,
// host pages, report readers and unsubscribe links never meet a sign-in. Deployed only with adminSignIn = 'entra'.
@description('Name of the function app to put the sign-in in front of.')
param functionAppName string

@minLength(36)
@description('Application (client) id of the Entra app registration staff sign in to. Its redirect URI is https://<app>/.auth/login/aad/callback.')
param clientId string

@description('Tenant whose work accounts may sign in.')
param tenantId string = tenant().tenantId

@description('True: the registration\'s client secret is in the app setting MICROSOFT_PROVIDER_AUTHENTICATION_SECRET (a Key Vault reference; code flow). False: no secret is kept, and the registration must issue ID tokens (implicit grant).')
param useClientCredentialSetting bool = false

// Everything public, as docs/openapi.json lists it. The console and /api/admin/* are what is left, so they need a sign-in.
var publicPaths = [
  '/api/surveys/*'
  '/api/embed.js'
  '/api/form.js'
  '/api/demo'
  '/api/reports/*'
  '/api/unsubscribe'
  '/api/health'
]

resource site 'Microsoft.Web/sites@2024-04-01' existing = {
  name: functionAppName
}

resource auth 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
      excludedPaths: publicPaths
    }
    httpSettings: {
      requireHttps: true
      routes: {
        apiPrefix: '/.auth'
      }
      forwardProxy: {
        convention: 'NoProxy'
      }
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenantId}/v2.0'
          clientId: clientId
          clientSecretSettingName: useClientCredentialSetting ? 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET' : null
        }
        validation: {
          allowedAudiences: [
            clientId
            'api://${clientId}'
          ]
        }
      }
    }
    login: {
      // Sessions only: the app reads no provider tokens, so none are stored.
      tokenStore: {
        enabled: false
      }
    }
  }
}

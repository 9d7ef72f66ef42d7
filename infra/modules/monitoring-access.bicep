// Lets managed identities send telemetry to Application Insights, whose local authentication is off.

import { roleIds } from 'roles.bicep'

@description('Application Insights component name.')
param applicationInsightsName string

@description('Object IDs of the identities that publish telemetry.')
param principalIds string[]

resource applicationInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: applicationInsightsName
}

resource publishers 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for principalId in principalIds: {
    name: guid(applicationInsights.id, principalId, roleIds.monitoringMetricsPublisher)
    scope: applicationInsights
    properties: {
      principalId: principalId
      principalType: 'ServicePrincipal'
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.monitoringMetricsPublisher)
    }
  }
]

// Container registry for the inference image. The admin user is off: azd pushes with the signed-in
// user's Entra token and the container app pulls with its managed identity (AcrPull).

import { roleIds } from 'roles.bicep'

@description('Azure region.')
param location string

@description('Tags for every resource.')
param tags object

@description('Registry name: 5 to 50 letters and digits.')
@minLength(5)
@maxLength(50)
param name string

@description('Object ID of the identity that pulls images.')
param pullPrincipalId string

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: name
  location: location
  tags: tags
  sku: {
    name: 'Basic'
  }
  properties: {
    adminUserEnabled: false
  }
}

resource acrPull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, pullPrincipalId, roleIds.acrPull)
  scope: registry
  properties: {
    principalId: pullPrincipalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.acrPull)
  }
}

output name string = registry.name
output loginServer string = registry.properties.loginServer

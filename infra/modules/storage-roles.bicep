// Grants one principal data roles on the storage account (or on one of its blob containers).

@description('Storage account name.')
param storageAccountName string

@description('Blob container to scope the roles to; empty grants them on the whole account.')
param containerName string = ''

@description('Object ID of the principal (a managed identity).')
param principalId string

@description('Kind of principal: ServicePrincipal for managed identities, User for the deploying user.')
@allowed(['ServicePrincipal', 'User'])
param principalType string = 'ServicePrincipal'

@description('Role definition IDs to grant.')
param roleDefinitionIds string[]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName

  resource blobService 'blobServices' existing = {
    name: 'default'

    resource container 'containers' existing = if (!empty(containerName)) {
      name: containerName
    }
  }
}

resource accountRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in roleDefinitionIds: if (empty(containerName)) {
    name: guid(account.id, principalId, roleId)
    scope: account
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

resource containerRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in roleDefinitionIds: if (!empty(containerName)) {
    name: guid(account::blobService::container.id, principalId, roleId)
    scope: account::blobService::container
    properties: {
      principalId: principalId
      principalType: principalType
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
    }
  }
]

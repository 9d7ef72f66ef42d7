// A private endpoint for one sub-resource of a service, with its private DNS zones linked to the network.

@description('Azure region of the endpoint (the network\'s region).')
param location string

@description('Tags for every resource.')
param tags object

@description('Private endpoint name.')
param name string

@description('Subnet the endpoint takes its address from.')
param subnetId string

@description('Virtual network the DNS zones are linked to.')
param virtualNetworkId string

@description('Resource ID of the service.')
param targetResourceId string

@description('Sub-resource (group ID), for example blob, queue, table or healthcareworkspace.')
param groupId string

@description('Private DNS zones that resolve the service\'s names to the endpoint.')
param dnsZoneNames string[]

resource zones 'Microsoft.Network/privateDnsZones@2020-06-01' = [
  for zoneName in dnsZoneNames: {
    name: zoneName
    location: 'global'
    tags: tags
  }
]

resource links 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2020-06-01' = [
  for (zoneName, index) in dnsZoneNames: {
    parent: zones[index]
    name: uniqueString(virtualNetworkId)
    location: 'global'
    tags: tags
    properties: {
      registrationEnabled: false
      virtualNetwork: {
        id: virtualNetworkId
      }
    }
  }
]

resource endpoint 'Microsoft.Network/privateEndpoints@2024-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    subnet: {
      id: subnetId
    }
    privateLinkServiceConnections: [
      {
        name: name
        properties: {
          privateLinkServiceId: targetResourceId
          groupIds: [groupId]
        }
      }
    ]
  }
}

resource zoneGroup 'Microsoft.Network/privateEndpoints/privateDnsZoneGroups@2024-05-01' = {
  parent: endpoint
  name: 'default'
  properties: {
    privateDnsZoneConfigs: [
      for (zoneName, index) in dnsZoneNames: {
        name: replace(zoneName, '.', '-')
        properties: {
          privateDnsZoneId: zones[index].id
        }
      }
    ]
  }
}
